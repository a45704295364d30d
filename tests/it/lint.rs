//! `labnote lint`: each rule on a fixture that triggers it and one that does not
//! (tests/fixtures/lint/lnNNN-bad, lnNNN-good), the exit codes, the order of findings, the
//! four output formats (SARIF checked against the 2.1.0 schema shipped in tests/schema),
//! Korean messages, and `course.yaml`'s `lint: { allow: [...] }`.

use serde_json::Value;

use crate::course::{copy_dir, crate_path, fixture_path, Course, Run};

/// A temporary course holding a copy of fixture `name` (a folder of tests/fixtures/lint).
fn course_of(name: &str) -> Course {
    let c = Course::empty();
    copy_dir(&fixture_path(&format!("lint/{name}")), &c.course);
    c
}

/// The findings of `lint --format json`: one object per line.
fn findings(r: &Run) -> Vec<Value> {
    r.stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn codes(v: &[Value]) -> Vec<String> {
    v.iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// Each rule: its bad fixture gives that code (and the severity the rule has), its good
/// fixture gives no finding at all and exits 0.
#[test]
fn each_rule_triggers_on_its_fixture_and_not_on_the_clean_one() {
    let rules = [
        ("ln001", "error", 1),
        ("ln002", "warning", 1),
        ("ln003", "warning", 1),
        ("ln004", "warning", 1),
        ("ln005", "error", 2),
        ("ln006", "error", 2),
        ("ln007", "warning", 1),
        ("ln008", "error", 1),
        ("ln009", "error", 3),
        ("ln010", "warning", 1),
        ("ln011", "note", 1),
    ];
    for (rule, severity, count) in rules {
        let code = rule.to_uppercase();
        let bad = course_of(&format!("{rule}-bad"));
        let r = bad.run(&["lint", "--format", "json"]);
        let f = findings(&r);
        assert_eq!(
            codes(&f),
            vec![code.clone(); count],
            "{rule}-bad:\n{}",
            r.text()
        );
        assert!(f.iter().all(|x| x["severity"] == severity), "{f:?}");
        let expected = if severity == "error" { 1 } else { 0 };
        assert_eq!(r.code, expected, "{rule}-bad exit:\n{}", r.text());

        let good = course_of(&format!("{rule}-good"));
        let r = good.run(&["lint", "--format", "json"]);
        assert_eq!(r.code, 0, "{rule}-good:\n{}", r.text());
        assert!(findings(&r).is_empty(), "{rule}-good:\n{}", r.text());
    }
}

/// The fields of a finding, with the second location and the help where the rule has them.
#[test]
fn a_finding_has_its_location_second_location_and_help() {
    let c = course_of("ln003-bad");
    let f = findings(&c.run(&["lint", "--format", "json"]));
    let x = &f[0];
    assert!(x["file"].as_str().unwrap().ends_with("day1/lab2.md"), "{x}");
    assert_eq!(x["rule"], "placeholder-typo");
    assert_eq!(x["line"], 24);
    assert_eq!(x["column"], 9);
    assert!(x["message"]
        .as_str()
        .unwrap()
        .contains("<<cluster_endpiont>>"));
    assert!(
        x["help"].as_str().unwrap().contains("<<cluster_endpoint>>"),
        "{x}"
    );
    let rel = &x["related"];
    assert!(
        rel["file"].as_str().unwrap().ends_with("day1/lab2.md"),
        "{x}"
    );
    assert_eq!(rel["label"], "spelled so here");
    for k in ["line", "column", "end_line", "end_column", "span"] {
        assert!(!x[k].is_null(), "{k} missing: {x}");
    }
}

/// Findings come ordered by file, then line; the text form is rustc's: the code, the
/// location arrow, the source line, the underline, the help.
#[test]
fn text_output_is_rustc_style_and_ordered() {
    let c = course_of("ln005-bad");
    let r = c.run(&["lint"]);
    assert_eq!(r.code, 1, "{}", r.text());
    let out = &r.stdout;
    let first = out.find("error[LN005]").expect("the code in brackets");
    let lab1 = out
        .find("day1/lab1.md:18:1")
        .expect("file:line:col of lab1");
    let lab2 = out
        .find("day1/lab2.md:16:1")
        .expect("file:line:col of lab2");
    assert!(first < lab1 && lab1 < lab2, "{out}");
    assert!(out.contains("--> "), "{out}");
    assert!(out.contains("18 | ``"), "{out}");
    assert!(out.contains("^^"), "{out}");
    assert!(out.contains("the fence opens here"), "{out}");
    assert!(out.contains("= help: close the fence"), "{out}");
    assert!(
        out.contains("2 errors, 0 warnings, 0 notes in 2 labs"),
        "{out}"
    );
    assert!(!out.contains('\x1b'), "no colour into a pipe: {out}");
    assert!(r.stderr.contains("lint found 2 errors"), "{}", r.stderr);

    let mut json = c.run(&["lint", "--format", "json"]);
    json.stdout = json.stdout.replace('\r', "");
    let f = findings(&json);
    let keys: Vec<(String, u64)> = f
        .iter()
        .map(|x| {
            (
                x["file"].as_str().unwrap().to_string(),
                x["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

/// The order holds across the course: labs whose course order (day2 before day10) is not
/// their paths' order, each with findings of the course-wide rules (a value's name near
/// another's) between findings of its own (missing images), come ordered by file, line, column.
#[test]
fn findings_of_every_rule_ordered_across_labs() {
    let c = Course::empty();
    for (day, lab) in [("day2", "lab1"), ("day2", "lab2"), ("day10", "lab1")] {
        let dir = c.course.join(day);
        std::fs::create_dir_all(&dir).unwrap();
        let text = format!(
            "# {day} - {lab}. 화면 확인\n\n## 🔴 1. 확인\n\n### ✔ 1-1. 첫 화면\n\n\
             ![첫 화면](img/{lab}-a.png)\n\n- `<<{day} {lab} 값>>` 을 입력합니다.\n\n\
             ![둘째 화면](img/{lab}-b.png) 그리고 `<<{day} {lab} 다른 값>>`\n"
        );
        std::fs::write(dir.join(format!("{lab}.md")), text).unwrap();
    }
    let f = findings(&c.run(&["lint", "--format", "json"]));
    let keys: Vec<(String, u64, u64, String)> = f
        .iter()
        .map(|x| {
            (
                x["file"].as_str().unwrap().to_string(),
                x["line"].as_u64().unwrap(),
                x["column"].as_u64().unwrap(),
                x["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let per_lab: Vec<&str> = keys
        .iter()
        .filter(|k| k.0.ends_with("day10/lab1.md"))
        .map(|k| k.3.as_str())
        .collect();
    // Each value's name is one letter from another lab's: a typo (LN003), course-wide.
    assert_eq!(per_lab, ["LN006", "LN003", "LN006", "LN003"], "{keys:?}");
    assert_eq!(keys.len(), 12, "{keys:?}");
}

/// Warnings pass unless `--deny warnings`.
#[test]
fn warnings_pass_unless_denied() {
    let c = course_of("ln002-bad");
    let r = c.run(&["lint"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(r.stdout.contains("warning[LN002]"), "{}", r.stdout);
    let r = c.run(&["lint", "--deny", "warnings"]);
    assert_eq!(r.code, 1, "{}", r.text());
    // A note is no warning.
    let c = course_of("ln011-bad");
    assert_eq!(c.run(&["lint", "--deny", "warnings"]).code, 0);
}

/// The SARIF log validates against the SARIF 2.1.0 schema (tests/schema), with a result per
/// finding, its rule, level and region, and the related location.
#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(crate_path("tests/schema/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    let loc = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    compiler.add_resource(loc, schema).unwrap();
    let sarif = compiler
        .compile(loc, &mut schemas)
        .expect("the SARIF schema compiles");
    let check = |v: &Value| schemas.validate(v, sarif).map_err(|e| format!("{e:#}"));
    for fixture in ["ln003-bad", "ln009-bad", "ln011-bad", "ln001-good"] {
        let c = course_of(fixture);
        let r = c.run(&["lint", "--format", "sarif"]);
        let log: Value =
            serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
        if let Err(e) = check(&log) {
            panic!("{fixture}: {e}\n{}", r.stdout);
        }
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 11);
        let results = run["results"].as_array().unwrap();
        let json = findings(&c.run(&["lint", "--format", "json"]));
        assert_eq!(results.len(), json.len(), "{fixture}");
        for (res, f) in results.iter().zip(&json) {
            assert_eq!(res["ruleId"], f["code"]);
            assert_eq!(res["level"], f["severity"]);
            let region = &res["locations"][0]["physicalLocation"]["region"];
            assert_eq!(region["startLine"], f["line"]);
            assert_eq!(region["startColumn"], f["column"]);
            assert_eq!(res["relatedLocations"].is_array(), !f["related"].is_null());
        }
    }
    // A schema-invalid log is caught, so the check above means something.
    let bad = serde_json::json!({ "version": "2.1.0", "runs": [{ "results": [] }] });
    assert!(check(&bad).is_err());
}

/// `--format github`: one workflow command per finding, escaped, then the totals line.
#[test]
fn github_format_line_by_line() {
    let c = course_of("ln005-bad");
    let r = c.run(&["lint", "--format", "github"]);
    assert_eq!(r.code, 1, "{}", r.text());
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", r.stdout);
    let lab1 = c.course.join("day1/lab1.md").display().to_string();
    let lab2 = c.course.join("day1/lab2.md").display().to_string();
    assert_eq!(
        lines[0],
        format!(
            "::error file={lab1},line=18,col=1,endLine=18,endColumn=3,title=LN005 broken-fence::a line of two backticks does not close the code fence opened at line 16%0Ahelp: close the fence with ``` (three backticks) on a line of its own"
        )
    );
    assert_eq!(
        lines[1],
        format!(
            "::error file={lab2},line=16,col=1,endLine=16,endColumn=8,title=LN005 broken-fence::this code fence is never closed: the rest of the file is code%0Ahelp: close the fence with ``` (three backticks) on a line of its own"
        )
    );
    assert_eq!(
        lines[2],
        "labnote lint: 2 errors, 0 warnings, 0 notes (GitHub shows only the first 10 annotations of each kind)"
    );
    // Warnings and notes are `::warning` and `::notice`.
    let w = course_of("ln002-bad").run(&["lint", "--format", "github"]);
    assert!(w.stdout.starts_with("::warning file="), "{}", w.stdout);
    let n = course_of("ln011-bad").run(&["lint", "--format", "github"]);
    assert!(n.stdout.starts_with("::notice file="), "{}", n.stdout);
}

/// Under a Korean locale the messages, helps and totals are Korean.
#[test]
fn korean_messages_under_a_korean_locale() {
    let mut c = course_of("ln008-bad");
    c.set_env("LABNOTE_LANG", "ko");
    let r = c.run(&["lint"]);
    assert!(
        r.stdout
            .contains("메모 키 `github_username`가 이 실습에 두 번 있습니다"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("처음 쓴 곳"), "{}", r.stdout);
    assert!(r.stdout.contains("오류 1개"), "{}", r.stdout);
}

/// `course.yaml` silences a rule in a file, a line range, or everywhere; an unknown rule,
/// a bad range or an unknown field is an error that names course.yaml and the line.
#[test]
fn course_yaml_allow_silences_and_is_validated() {
    let c = course_of("ln002-bad");
    let yaml = c.course.join("course.yaml");
    std::fs::write(
        &yaml,
        "lint:\n  allow:\n    - { rule: LN002, file: day1/lab1.md, lines: \"10-20\" }\n",
    )
    .unwrap();
    let r = c.run(&["lint", "--format", "json", "--deny", "warnings"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(findings(&r).is_empty(), "{}", r.stdout);
    // Another range, another file: the finding stays.
    std::fs::write(
        &yaml,
        "lint:\n  allow:\n    - { rule: LN002, lines: \"1-3\" }\n    - { rule: LN002, file: day1/other.md }\n",
    )
    .unwrap();
    assert_eq!(
        codes(&findings(&c.run(&["lint", "--format", "json"]))),
        ["LN002"]
    );
    // Everywhere.
    std::fs::write(&yaml, "lint: { allow: [ { rule: LN002 } ] }\n").unwrap();
    assert!(findings(&c.run(&["lint", "--format", "json"])).is_empty());

    for (text, says) in [
        (
            "lint: { allow: [ { rule: LN099 } ] }\n",
            "unknown lint rule `LN099`",
        ),
        (
            "lint: { allow: [ { rule: LN002, lines: \"20-10\" } ] }\n",
            "invalid line range",
        ),
        ("lint: { alow: [] }\n", "unknown field `alow`"),
    ] {
        std::fs::write(&yaml, text).unwrap();
        let r = c.run(&["lint"]);
        assert_eq!(r.code, 2, "{text}: {}", r.text());
        assert!(r.stderr.contains("course.yaml"), "{}", r.stderr);
        assert!(r.stderr.contains(says), "{text}: {}", r.stderr);
    }
}

/// `lint PATH`: only the labs named (or under a folder named) are reported on; the course is
/// still read whole.
#[test]
fn paths_limit_the_report() {
    let c = course_of("ln005-bad");
    let f = findings(&c.run(&["lint", "--format", "json", "day1/lab2.md"]));
    assert_eq!(f.len(), 1);
    assert!(f[0]["file"].as_str().unwrap().ends_with("lab2.md"));
    let f = findings(&c.run(&["lint", "--format", "json", "day1"]));
    assert_eq!(f.len(), 2);
    let r = c.run(&["lint", "nowhere"]);
    assert_eq!(r.code, 1, "{}", r.text());
}

/// Lint agrees with `wanted`: every value LN001 reports as asked nowhere is one `wanted`
/// lists with no note point, on the bundled course.
#[test]
fn lint_agrees_with_wanted_on_the_bundled_labs() {
    let c = Course::empty().with_bundled_labs();
    let f = findings(&c.run(&["lint", "--format", "json"]));
    let wanted = c.ok(&["wanted"]).stdout;
    for x in f.iter().filter(|x| x["code"] == "LN001") {
        let m = x["message"].as_str().unwrap();
        let name = m
            .split("`<<")
            .nth(1)
            .and_then(|s| s.split(">>`").next())
            .unwrap();
        let block = wanted
            .split('«')
            .find(|b| b.starts_with(&format!("{name}»")))
            .unwrap_or_else(|| panic!("{name} not in wanted:\n{wanted}"));
        assert!(block.contains("never asked to be noted"), "{block}");
    }
    // What lint reports on the bundled course: the value nothing asks for and no source
    // gives (`gitopsconsole_ID`; the repository's address is read by `fetch`), and the
    // images the course does not ship (each judged true in the closing note).
    let kinds = codes(&f);
    assert_eq!(
        kinds.iter().filter(|k| *k == "LN001").count(),
        1,
        "{kinds:?}"
    );
    assert!(f.iter().any(
        |x| x["code"] == "LN001" && x["message"].as_str().unwrap().contains("gitopsconsole_ID")
    ));
    assert!(
        kinds.iter().all(|k| k == "LN001" || k == "LN006"),
        "{kinds:?}"
    );
}

/// A note point names its value loosely ("server url", "Repository의 URL"); its step title
/// ("클러스터 Url 확인", "GIT for PaC 저장소 생성") and the table row that later uses the value
/// ("GIT for PaC") name it fully. Linking by all of them, `wanted` and `lint` agree that both
/// values are asked for, each by its own sentence: no LN001, no LN002.
#[test]
fn note_points_link_by_step_title_and_table_row() {
    let c = course_of("linking");
    let r = c.run(&["lint", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(findings(&r).is_empty(), "{}", r.stdout);
    let wanted = c.ok(&["wanted"]).stdout;
    let block = |name: &str| {
        wanted
            .split('«')
            .find(|b| b.starts_with(name))
            .unwrap_or_else(|| panic!("{name}:\n{wanted}"))
            .to_string()
    };
    assert!(
        block("클러스터 Url»").contains("server url을 메모합니다"),
        "{wanted}"
    );
    assert!(
        block("자신의 PaC git 주소»").contains("Repository의 URL을 메모"),
        "{wanted}"
    );
    assert!(!wanted.contains("never asked"), "{wanted}");
}

/// A loose name with its owner: "repository의 HTTPS 주소" in step "repository 정보 입력" asks
/// for `<<자신의 git repository 주소>>` (a word shared, and with the owner and the step's
/// title more than half of the value's words said).
#[test]
fn a_loose_note_point_links_through_its_owner_and_step() {
    let c = course_of("linking-owner");
    let r = c.run(&["lint", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.text());
    assert!(findings(&r).is_empty(), "{}", r.stdout);
    let wanted = c.ok(&["wanted"]).stdout;
    assert!(wanted.contains("HTTPS 주소를 메모합니다"), "{wanted}");
    assert!(!wanted.contains("never asked"), "{wanted}");
}
