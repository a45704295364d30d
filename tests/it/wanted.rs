//! Note points, wanted values and noting a value by the lab's own words (issue 11), on the
//! fixtures of tests/fixtures/notes (day 3, written in the course's style with each phrasing
//! of the issue and variants) and on the project's copies of the reference labs 2-3, 2-4, 2-5.

use serde_json::Value;

use crate::course::{copy_dir, fixture_path, Course, Run};

/// The notes course: tests/fixtures/notes copied, with an age identity.
fn notes_course() -> Course {
    let c = Course::empty();
    copy_dir(&fixture_path("notes"), &c.course);
    c.init();
    c
}

/// The three reference-lab copies as day-2 labs of one course, with an age identity.
fn reference_course() -> Course {
    let c = Course::empty();
    let day2 = c.course.join("day2");
    std::fs::create_dir_all(&day2).unwrap();
    for f in [
        "ref-2-3-github.md",
        "ref-2-4-access-key.md",
        "ref-2-5-network.md",
    ] {
        std::fs::copy(fixture_path(f), day2.join(f)).unwrap();
    }
    c.init();
    c
}

fn json(r: &Run) -> Vec<Value> {
    serde_json::from_str::<Value>(&r.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", r.text()))
        .as_array()
        .unwrap()
        .clone()
}

fn wanted(c: &Course) -> Vec<Value> {
    json(&c.ok(&["wanted", "--json"]))
}

/// `memo set LAB NAME -` with `value` on stdin.
fn note_stdin(c: &Course, lab: &str, name: &str, value: &str) -> Run {
    let r = c.run_stdin(&["memo", "set", lab, name, "-"], value.as_bytes());
    assert_eq!(r.code, 0, "memo set {lab} {name}: {}", r.text());
    r
}

/// The value whose names hold `name`.
fn value_named<'a>(v: &'a [Value], name: &str) -> &'a Value {
    v.iter()
        .find(|w| w["names"].as_array().unwrap().iter().any(|n| n == name))
        .unwrap_or_else(|| panic!("no value named {name:?} in {v:#?}"))
}

fn note_point(v: &[Value], name: &str) -> Value {
    value_named(v, name)["note_point"].clone()
}

fn prose(lab: &str, step: &str) -> (String, String) {
    (lab.to_string(), step.to_string())
}

fn at(np: &Value) -> (String, String) {
    (
        np["lab"].as_str().unwrap_or("").to_string(),
        np["step"].as_str().unwrap_or("").to_string(),
    )
}

/// Every (lab, placeholder, resolved) of the course's labs, from `placeholders --json`.
fn placeholder_table(c: &Course) -> Vec<(String, String, bool)> {
    let labs = json(&c.ok(&["labs", "--json"]));
    let mut out = Vec::new();
    for l in labs {
        let id = l["id"].as_str().unwrap().to_string();
        for p in json(&c.ok(&["placeholders", &id, "--json"])) {
            out.push((
                id.clone(),
                p["name"].as_str().unwrap().to_string(),
                p["resolved"].as_bool().unwrap(),
            ));
        }
    }
    out
}

fn resolved_count(t: &[(String, String, bool)]) -> usize {
    t.iter().filter(|(_, _, r)| *r).count()
}

/// `wanted --points --json` as (lab, step, kind, names) rows, in its order.
pub fn note_points(c: &Course) -> Vec<(String, String, String, Vec<String>)> {
    json(&c.ok(&["wanted", "--points", "--json"]))
        .iter()
        .map(|p| {
            (
                p["lab"].as_str().unwrap().to_string(),
                p["step"].as_str().unwrap_or("").to_string(),
                p["kind"].as_str().unwrap().to_string(),
                p["names"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn note_points_of_every_phrasing_are_found_on_their_step() {
    let c = notes_course();
    let got = note_points(&c);
    let want: Vec<(&str, &str, &str, Vec<&str>)> = vec![
        // `1-4. 생성된 Repo URL 메모` is refined by its sentence (backquoted value wins).
        ("3-1", "1-4", "sentence", vec!["gitops_pipeline_3tier URL"]),
        // 💥 emoji around the sentence; the owner (인스턴스의) is not the name.
        ("3-1", "2-1", "sentence", vec!["public ip"]),
        // A heading-only note point.
        ("3-1", "2-2", "heading", vec!["Bastion 아이피"]),
        // 과 joins two values; `출력되는 값 중` only says where they are.
        (
            "3-2",
            "4-1",
            "sentence",
            vec!["server url", "certificate-authority-data"],
        ),
        ("3-2", "4-2", "sentence", vec!["토큰"]),
        // `9-3. 메모📝` + "출력된 결과를 메모📝합니다.": one generic note point.
        ("3-2", "9-3", "sentence", vec![]),
        ("3-3", "1-2", "sentence", vec!["Identifier", "ARN"]),
        ("3-3", "2-1", "sentence", vec!["IP", "Allocation ID"]),
        // Another emoji (🖊️) and a space before `해 둡니다`.
        (
            "3-3",
            "2-2",
            "sentence",
            vec!["Console ID", "Console Password"],
        ),
    ];
    let want: Vec<(String, String, String, Vec<String>)> = want
        .into_iter()
        .map(|(l, s, k, n)| {
            (
                l.into(),
                s.into(),
                k.into(),
                n.into_iter().map(String::from).collect(),
            )
        })
        .collect();
    assert_eq!(got, want);
    // Adnominal uses (`메모해 놓은`, `메모한` inside placeholders, `✏메모내용` in tables) and code
    // are no note points: the list above is complete.
}

#[test]
fn wanted_links_every_placeholder_to_its_value_and_note_point() {
    let c = notes_course();
    let v = wanted(&c);
    let expect = [
        ("생성된 IP", prose("3-1", "2-1")),
        ("메모해 놓은 gitops_pipeline_3tier URL", prose("3-1", "1-4")),
        ("Bastion IP", prose("3-1", "2-2")),
        ("메모한 Cluster URL", prose("3-2", "4-1")),
        ("메모한 Certificate Authority Data", prose("3-2", "4-1")),
        ("메모한 Service Account token", prose("3-2", "4-2")),
        ("스크립트로 생성한 aws_auth_roles", prose("3-2", "9-3")),
        ("메모한 인증서의 ARN", prose("3-3", "1-2")),
        ("메모한 Allocation ID 1", prose("3-3", "2-1")),
        ("메모한 Allocation ID 2", prose("3-3", "2-1")),
        ("메모한 Console ID", prose("3-3", "2-2")),
    ];
    for (name, want) in &expect {
        let np = note_point(&v, name);
        assert_eq!(at(&np), *want, "{name}: {np:#}");
        assert!(np["text"].as_str().unwrap().contains("메모"), "{np:#}");
    }
    for name in ["gitopsconsole_ID", "나의도메인", "DNS name"] {
        assert_eq!(note_point(&v, name), Value::Null, "{name}");
    }
    // Two languages, one value; names as written, trimmed (no trailing space inside).
    let domain = value_named(&v, "YOUR_DOMAIN");
    assert_eq!(
        domain["names"],
        serde_json::json!(["나의도메인", "YOUR_DOMAIN"])
    );
    assert_eq!(domain["key"], "나의도메인");
    assert_eq!(
        value_named(&v, "메모한 Certificate Authority Data")["key"],
        "Certificate Authority Data"
    );
    let token = value_named(&v, "메모한 Service Account token");
    assert_eq!(token["secret"], true);
    assert_eq!(
        token["used_in"],
        serde_json::json!([{"lab": "3-2", "step": "6-4"}])
    );
    assert_eq!(value_named(&v, "메모한 Cluster URL")["secret"], false);
    assert_eq!(
        value_named(&v, "gitopsconsole_ID")["used_in"],
        serde_json::json!([{"lab": "3-1", "step": "2-1"}, {"lab": "3-2", "step": "9-2"}])
    );
    // A value the course asks for that no placeholder uses is listed too.
    assert_eq!(at(&note_point(&v, "Identifier")), prose("3-3", "1-2"));
    // Each value once.
    let mut keys: Vec<&str> = v.iter().map(|w| w["key"].as_str().unwrap()).collect();
    let n = keys.len();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), n, "{keys:?}");
    // One lab: only what it asks for or uses.
    let one = json(&c.ok(&["wanted", "3-3", "--json"]));
    assert!(one
        .iter()
        .all(|w| w["names"] != serde_json::json!(["생성된 IP"])));
    assert!(one.iter().any(|w| w["key"] == "나의도메인"));
}

/// A value for each wanted value (multi-line for the script output).
fn sample_value(key: &str) -> String {
    if key.contains("aws_auth_roles") {
        return "- rolearn: arn:aws:iam::111122223333:role/node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n- rolearn: arn:aws:iam::111122223333:role/admin  ".into();
    }
    let tag: String = key.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    format!("v-{tag}-{}", key.chars().count())
}

/// Note every wanted value once, by its names[0], in the lab of its note point (else where it
/// is first used); values on stdin. Returns (key, value) pairs.
fn note_every_wanted_value(c: &Course) -> Vec<(String, String)> {
    let mut noted = Vec::new();
    for w in wanted(c) {
        let name = w["names"][0].as_str().unwrap().to_string();
        let lab = if w["note_point"].is_null() {
            w["used_in"][0]["lab"].as_str().unwrap().to_string()
        } else {
            w["note_point"]["lab"].as_str().unwrap().to_string()
        };
        let value = sample_value(w["key"].as_str().unwrap());
        note_stdin(c, &lab, &name, &value);
        noted.push((w["key"].as_str().unwrap().to_string(), value));
    }
    noted
}

#[test]
fn noting_each_wanted_value_once_resolves_every_placeholder_of_the_fixtures() {
    let c = notes_course();
    let before = placeholder_table(&c);
    assert_eq!(resolved_count(&before), 0, "{before:?}");
    let noted = note_every_wanted_value(&c);
    let after = placeholder_table(&c);
    let unresolved: Vec<_> = after.iter().filter(|(_, _, r)| !*r).collect();
    assert!(unresolved.is_empty(), "{unresolved:?}");
    assert_eq!(after.len(), before.len());
    eprintln!(
        "notes fixtures: {} of {} placeholders resolve before, {} after",
        resolved_count(&before),
        before.len(),
        resolved_count(&after)
    );
    assert!(wanted(&c).is_empty(), "{:#?}", wanted(&c));
    // Every written form reads the value back; the multi-line one byte for byte.
    let url = &noted.iter().find(|(k, _)| k == "Cluster URL").unwrap().1;
    for form in [
        "Cluster URL",
        "메모한 Cluster URL",
        "<<메모한 Cluster URL>>",
        "cluster url",
    ] {
        assert_eq!(
            c.ok(&["memo", "get", form]).stdout,
            format!("{url}\n"),
            "{form}"
        );
    }
    let roles = &noted
        .iter()
        .find(|(k, _)| k.contains("aws_auth_roles"))
        .unwrap()
        .1;
    assert_eq!(
        c.ok(&["memo", "get", "<<스크립트로 생성한 aws_auth_roles>>"])
            .stdout,
        format!("{roles}\n")
    );
    let shown = c.ok(&["show", "3-2", "--step", "10-1", "--fill"]).stdout;
    assert!(shown.contains("role/node"), "{shown}");
    // The token is a secret: encrypted in the lab, masked in show.
    let token = &noted
        .iter()
        .find(|(k, _)| k == "Service Account token")
        .unwrap()
        .1;
    let lab2 = c.lab_text("day3/lab2-eks.md");
    assert!(!lab2.contains(token.as_str()), "{lab2}");
    assert!(
        lab2.contains("_<< Service Account token>>_ : `age:"),
        "{lab2}"
    );
    let shown = c.ok(&["show", "3-2", "--step", "6-4", "--fill"]).stdout;
    assert!(
        !shown.contains(token.as_str()) && shown.contains("••••"),
        "{shown}"
    );
    // Noting a value again by another form changes the same entry, not a new one.
    c.ok(&[
        "memo",
        "set",
        "3-2",
        "<<메모한 Cluster URL>>",
        "https://new.example",
    ]);
    let lab2 = c.lab_text("day3/lab2-eks.md");
    assert_eq!(lab2.matches("<< Cluster URL>>").count(), 1, "{lab2}");
    assert_eq!(
        c.ok(&["memo", "get", "Cluster URL"]).stdout,
        "https://new.example\n"
    );
    // The CRLF lab got its memo block in CRLF.
    let lab3 = c.lab_bytes("day3/lab3-domain.md");
    let text = String::from_utf8(lab3).unwrap();
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
    assert!(text.contains("> ➕ _<< 나의도메인>>_ : "), "{text}");
}

#[test]
fn reference_labs_link_2_5_to_the_memo_entries_of_2_3_and_2_4_or_to_null() {
    let c = reference_course();
    let v = wanted(&c);
    let expect = [
        ("발급받은 Access Key", Some("2-4")),
        ("발급받은 AWS Secret Access key", Some("2-4")),
        ("자신의 git name", Some("2-3")),
        ("발급 받은 git token", Some("2-3")),
        ("gitopsconsole_ID", None),
        ("자신의 git repository 주소", None),
    ];
    for (name, lab) in expect {
        let np = note_point(&v, name);
        match lab {
            Some(l) => {
                assert_eq!(np, serde_json::json!({"lab": l, "memo": true}), "{name}");
            }
            None => assert_eq!(np, Value::Null, "{name}"),
        }
        let w = value_named(&v, name);
        assert!(
            w["used_in"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!({"lab": "2-5", "step": "2-2"})),
            "{w:#}"
        );
    }
    assert_eq!(
        value_named(&v, "발급받은 Access Key")["key"],
        "AWS Access Key ID"
    );
    assert_eq!(value_named(&v, "자신의 git name")["key"], "github_username");
    assert_eq!(value_named(&v, "발급 받은 git token")["secret"], true);
    // YYMMDD is today's date: no wanted value.
    assert!(v
        .iter()
        .all(|w| w["names"] != serde_json::json!(["YYMMDD"])));
    // Every placeholder of 2-5 (the built-in aside) is in exactly one value.
    let table = placeholder_table(&c);
    for (lab, name, _) in table.iter().filter(|(l, n, _)| l == "2-5" && n != "YYMMDD") {
        let n = v
            .iter()
            .filter(|w| w["names"].as_array().unwrap().iter().any(|x| x == name))
            .count();
        assert_eq!(n, 1, "{lab} {name}");
    }
    let before = table;
    let noted = note_every_wanted_value(&c);
    assert_eq!(noted.len(), 6, "{noted:?}");
    let after = placeholder_table(&c);
    let unresolved: Vec<_> = after.iter().filter(|(_, _, r)| !*r).collect();
    assert!(unresolved.is_empty(), "{unresolved:?}");
    eprintln!(
        "reference labs: {} of {} placeholders resolve before, {} after",
        resolved_count(&before),
        before.len(),
        resolved_count(&after)
    );
    assert!(wanted(&c).is_empty());
    // The values went to the labs' own memo entries (no new entry in 2-3 or 2-4).
    let lab4 = c.lab_text("day2/ref-2-4-access-key.md");
    assert_eq!(lab4.matches("➕ _<<").count(), 2, "{lab4}");
    assert!(
        lab4.contains("_<< AWS Secret Access key>>_ : `age:"),
        "{lab4}"
    );
}

#[test]
fn a_block_of_lines_from_stdin_is_kept_byte_for_byte() {
    let c = notes_course();
    let steps = c.steps("3-2");
    // CRLF inside, trailing spaces, a tab, a line of backquotes, an entry-looking line, and
    // a final newline that is dropped.
    let value = "first line  \r\n\tsecond\n```\n> ➕ _<< fake>>_ : x\n\nlast";
    note_stdin(
        &c,
        "3-2",
        "스크립트로 생성한 aws_auth_roles",
        &format!("{value}\n"),
    );
    let got = c.ok(&["memo", "get", "aws_auth_roles"]).stdout;
    assert_eq!(got, format!("{value}\n"));
    let text = c.lab_text("day3/lab2-eks.md");
    assert!(text.contains("> ````text preview\n> first line\n> \tsecond\n> ```\n> > + _<< fake>>_ : x\n>\n> last\n> ````\n"), "{text}");
    let memo = json(&c.ok(&["memo", "list", "3-2", "--json"]));
    assert_eq!(memo.len(), 1, "{memo:?}");
    assert_eq!(memo[0]["value"], "(6 lines)", "{memo:?}");
    // A value with a line break given as an argument is kept whole too.
    c.ok(&[
        "memo",
        "set",
        "3-3",
        "메모한 인증서의 ARN",
        "arn:aws:acm:1\narn:aws:acm:2",
    ]);
    assert_eq!(
        c.ok(&["memo", "get", "인증서의 ARN"]).stdout,
        "arn:aws:acm:1\narn:aws:acm:2\n"
    );
    let lab3 = c.lab_text("day3/lab3-domain.md");
    assert!(
        lab3.contains("> ```text preview\r\n> arn:aws:acm:1\r\n> arn:aws:acm:2\r\n> ```\r\n"),
        "{lab3}"
    );
    // Steps are unchanged by the block.
    assert_eq!(c.steps("3-2"), steps);
    // A value that is not text is refused and nothing changes.
    let before = c.lab_bytes("day3/lab2-eks.md");
    let out = c.run_stdin(&["memo", "set", "3-2", "Cluster URL", "-"], b"ab\xffcd\n");
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("UTF-8"), "{}", out.text());
    assert_eq!(c.lab_bytes("day3/lab2-eks.md"), before);
    // A secret of several lines is encrypted whole, without a preview.
    let token = "eyJhbGciOiJSUzI1NiJ9.line1\nline2";
    note_stdin(&c, "3-2", "메모한 Service Account token ", token);
    let text = c.lab_text("day3/lab2-eks.md");
    assert!(
        !text.contains("line2") && !text.contains("eyJhbGci"),
        "{text}"
    );
    assert_eq!(text.matches("text preview").count(), 1);
    assert_eq!(
        c.ok(&["memo", "get", "Service Account token"]).stdout,
        format!("{token}\n")
    );
}

#[test]
fn a_long_course_is_linked_in_about_linear_time() {
    // 2000 steps, each asking for one of 300 values and using three placeholders: a quadratic
    // linker took half a minute here in a debug build.
    let c = Course::empty();
    std::fs::create_dir_all(&c.course).unwrap();
    let mut md = String::from("# 5일차 - Lab 1. 긴 실습\n\n---\n\n");
    for k in 1..=2000 {
        md.push_str(&format!(
            "## {k}. 단계 {k}\n\n- 생성된 `Endpoint {}`를 메모합니다.\n- 입력: `<<메모한 Endpoint {}>>` 와 <<생성된 IP>> 그리고 <<나의도메인>>\n\n",
            k % 300,
            k % 300
        ));
    }
    std::fs::write(c.course.join("long.md"), md).unwrap();
    let t = std::time::Instant::now();
    let v = wanted(&c);
    let took = t.elapsed();
    assert_eq!(v.len(), 302, "{:#?}", &v[..3]);
    assert_eq!(at(&note_point(&v, "메모한 Endpoint 7")), prose("5-1", "7"));
    assert!(took.as_secs() < 20, "wanted took {took:?}");
    let t = std::time::Instant::now();
    c.ok(&["memo", "set", "5-1", "<<메모한 Endpoint 7>>", "v7"]);
    assert!(
        t.elapsed().as_secs() < 20,
        "memo set took {:?}",
        t.elapsed()
    );
    assert_eq!(c.ok(&["memo", "get", "Endpoint 7"]).stdout, "v7\n");
}

#[test]
fn the_bundled_labs_ask_for_their_memo_entries_and_nothing_vague() {
    let c = Course::empty().with_bundled_labs();
    let v = wanted(&c);
    let got: Vec<(String, Value)> = v
        .iter()
        .map(|w| {
            let mut point = w["note_point"].clone();
            if let Some(o) = point.as_object_mut() {
                o.remove("text");
            }
            (w["key"].as_str().unwrap().to_string(), point)
        })
        .collect();
    let memo = |lab: &str| serde_json::json!({"lab": lab, "memo": true});
    // Lab 3-1 asks in prose: the note point is its step (the JSON also carries its text).
    let step = |lab: &str, id: &str| serde_json::json!({"lab": lab, "step": id});
    let want = vec![
        ("github_username".to_string(), memo("2-3")),
        ("github_token".to_string(), memo("2-3")),
        ("AWS Access Key ID".to_string(), memo("2-4")),
        ("AWS Secret Access key".to_string(), memo("2-4")),
        ("gitopsconsole_ID".to_string(), Value::Null),
        ("자신의 git repository 주소".to_string(), Value::Null),
        ("lab_prefix".to_string(), step("3-1", "1-1")),
        ("Public IP".to_string(), step("3-1", "1-2")),
        ("Private IP".to_string(), step("3-1", "1-2")),
        ("생성된 SSH Key 이름".to_string(), step("3-1", "1-3")),
        ("SSH 접속 설정".to_string(), step("3-1", "3-1")),
        ("에이전트 token".to_string(), step("3-1", "5-1")),
    ];
    assert_eq!(got, want);
    // "두 값을 각각 복사하여 메모한다" next to the specific sentences of its step is dropped.
    let points = json(&c.ok(&["wanted", "--points", "2-4", "--json"]));
    assert!(points.iter().all(|p| p["generic"] == false), "{points:#?}");
}
