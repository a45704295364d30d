//! The sweep course (tests/fixtures/sweep): four labs of days 2–3 that we wrote in the
//! course's style with the phrasings and block shapes of issues 11 and 12 and variants of
//! them, standing in for the labs kept back for acceptance. For every lab: the class of every
//! block, the note points and the `wanted` links, asserted exactly; then noting each wanted
//! value once makes every placeholder resolve.
//!
//! Each table is what a student would expect, not what labnote printed: a transcript or
//! output is never run, a command block always is, every sentence or heading asking to note
//! a value is found (and nothing else), and each placeholder is linked to the note point that
//! asks for its value or to nothing.

use serde_json::{json, Value};

use crate::course::{copy_dir, fixture_path, Course, Run};

const LABS: [&str; 4] = ["2-6", "3-4", "3-5", "3-6"];

/// The sweep course copied, with an age identity.
fn sweep_course() -> Course {
    let c = Course::empty();
    copy_dir(&fixture_path("sweep"), &c.course);
    c.init();
    c
}

fn json_of(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.text()))
}

fn array(r: &Run) -> Vec<Value> {
    json_of(r).as_array().unwrap().clone()
}

// ---------------------------------------------------------------------------------------
// blocks

/// Every checkable step of every lab, with the class of each of its blocks in order.
const BLOCKS: &[(&str, &str, &[&str])] = &[
    ("2-6", "1-1", &[]),
    ("2-6", "1-2", &[]),
    // `(수행코드/결과 예시)` and a `name:~/path $` transcript.
    ("2-6", "2-1", &["run", "example"]),
    // `결과 예시` and a `$ cmd` + output transcript.
    ("2-6", "2-2", &["run", "example"]),
    ("2-6", "3-1", &[]),
    // `- [참고] …`.
    ("2-6", "3-2", &["alternative"]),
    // A `$ cmd` + output transcript after a sentence, no label.
    ("2-6", "3-3", &["run", "example"]),
    // A heredoc `cat <<EOF` with a placeholder inside.
    ("3-4", "1-1", &["run"]),
    ("3-4", "1-2", &["run", "example", "run"]),
    ("3-4", "2-1", &["run"]),
    ("3-4", "2-2", &["run", "alternative"]),
    ("3-4", "3-1", &[]),
    // A quoted heredoc `cat << 'EOF'`.
    ("3-4", "4-1", &["run"]),
    // `출력 예시` and a transcript of several lines.
    ("3-4", "4-2", &["example"]),
    ("3-4", "5-1", &["run"]),
    ("3-4", "5-2", &["run", "not-shell"]),
    // `결과 확인` and a `user@host:path$` transcript; `cat <<EOF>> ~/.bashrc` (no placeholder).
    ("3-5", "1-1", &["run", "example"]),
    // A run block after "명령을 실행하고 결과를 확인합니다", kubectl's column output after
    // "다음과 같이 보입니다", a `<details>` 참고.
    ("3-5", "1-2", &["run", "example", "alternative"]),
    // `<<-EOF` with tab-indented body.
    ("3-5", "2-1", &["run"]),
    ("3-5", "2-2", &["run"]),
    // `$ cmd` after `결과 예시`; a `root@host:/#` transcript after a command block.
    ("3-5", "2-3", &["run", "example", "run", "example"]),
    ("3-5", "3-1", &[]),
    ("3-5", "3-2", &["run"]),
    ("3-6", "1-1", &["run"]),
    // Output without a prompt after `결과 예시`.
    ("3-6", "1-2", &["run", "example"]),
    ("3-6", "1-3", &["run"]),
    // `[user@host ~]$` and a PowerShell `PS C:\…>` transcript after plain sentences.
    ("3-6", "2-1", &["run", "example", "example"]),
    // `**[출력 예시]**`.
    ("3-6", "2-2", &["run", "example"]),
    ("3-6", "3-1", &["run"]),
    ("3-6", "3-2", &[]),
    ("3-6", "3-3", &["run"]),
];

/// (class, reason) of each block of a step, from `run --list --json`.
fn listed(c: &Course, lab: &str, step: &str) -> Vec<(String, String)> {
    let v = json_of(&c.ok(&["run", lab, step, "--list", "--json"]));
    v["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["class"].as_str().unwrap().to_string(),
                b["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_block_of_the_sweep_course_is_classified_as_a_student_expects() {
    let c = sweep_course();
    // The table covers every checkable step of every lab, in order.
    let mut steps = Vec::new();
    for lab in LABS {
        for s in c.steps(lab) {
            if s["checkable"] == true {
                steps.push((lab, s["id"].as_str().unwrap().to_string()));
            }
        }
    }
    let table: Vec<(&str, String)> = BLOCKS.iter().map(|(l, s, _)| (*l, s.to_string())).collect();
    assert_eq!(table, steps);
    let (mut right, mut total) = (0, 0);
    let mut wrong = Vec::new();
    for (lab, step, want) in BLOCKS {
        let got = listed(&c, lab, step);
        assert_eq!(got.len(), want.len(), "{lab} {step}: {got:?}");
        for (i, ((class, reason), want)) in got.iter().zip(want.iter()).enumerate() {
            total += 1;
            if class == want {
                right += 1;
            } else {
                wrong.push(format!(
                    "{lab} {step} block {}: {class} ({reason}), want {want}",
                    i + 1
                ));
            }
        }
    }
    eprintln!("sweep blocks: {right} of {total} classified right");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Nothing ran.
    assert!(c.events("run").is_empty());
}

#[test]
fn the_new_example_rules_say_their_evidence() {
    let c = sweep_course();
    let reason = |lab, step, i: usize| listed(&c, lab, step)[i].1.clone();
    let ps = reason("3-6", "2-1", 2);
    assert!(ps.contains(r"`PS C:\Users\student>`"), "{ps}");
    let dollar = reason("2-6", "3-3", 1);
    assert!(
        dollar.contains("`$`") && dollar.contains("2 output lines"),
        "{dollar}"
    );
    let columns = reason("3-5", "1-2", 1);
    assert!(
        columns.contains("`NAME           STATUS   AGE`"),
        "{columns}"
    );
}

#[test]
fn heredocs_are_no_placeholders_and_placeholders_in_heredocs_are() {
    let c = sweep_course();
    for lab in LABS {
        for p in array(&c.ok(&["placeholders", lab, "--json"])) {
            let name = p["name"].as_str().unwrap();
            assert!(!name.contains("EOF"), "{lab}: {p}");
        }
    }
    // `name: <<cluster_name>>` inside `cat <<EOF > cluster.yaml` is one.
    let dry = json_of(&c.ok(&["run", "3-4", "1-1", "--dry-run"]));
    let names: Vec<&str> = dry["blocks"][0]["placeholders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["cluster_name"], "{dry:#}");
    let dry = json_of(&c.ok(&["run", "3-5", "1-1", "--dry-run"]));
    assert_eq!(dry["blocks"][0]["placeholders"], json!([]), "{dry:#}");
}

// ---------------------------------------------------------------------------------------
// note points and wanted values

/// (lab, step or "" for none, kind, names) of every note point, in document order.
type Point = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const POINTS: &[Point] = &[
    // The goal line mentions 메모 but asks for nothing. A heading-only note point.
    ("2-6", "1-2", "heading", &["워크스페이스 주소"]),
    // `메모 합니다` (a space), the key in backquotes after `에`.
    ("2-6", "2-2", "sentence", &["console_repo_url"]),
    // `메모하세요`; "화면에 표시되는" only says where it is.
    ("2-6", "3-2", "sentence", &["Run ID"]),
    // The goal line (`메모📝해 둔다`) asks for nothing; the memo block's entries.
    ("3-4", "", "memo", &["cluster_name"]),
    ("3-4", "", "memo", &["node_role_arn"]),
    ("3-4", "1-2", "sentence", &["node_role_arn"]),
    // `메모📝합니다`, 와 joining two values.
    (
        "3-4",
        "2-1",
        "sentence",
        &["API 서버 주소", "인증서 데이터"],
    ),
    // "복사하여 메모해 둡니다": what is copied is noted.
    ("3-4", "2-2", "sentence", &["토큰"]),
    // `4-2. 메모✏️` + "출력된 결과를 메모✏️ 합니다.": one generic note point.
    ("3-4", "4-2", "sentence", &[]),
    // `메모해놓습니다` (no space); the owner `Ingress Gateway의` narrows the name.
    ("3-5", "2-2", "sentence", &["hostname"]),
    ("3-6", "1-1", "sentence", &["파일 이름"]),
    // Two backquoted values joined by 와, `각각`, `메모✏️합니다`.
    ("3-6", "1-2", "sentence", &["EIP 주소", "Allocation ID"]),
    // `메모📝 합니다`, 과 joining.
    ("3-6", "3-1", "sentence", &["ARN", "검증 CNAME"]),
];

fn points_of(c: &Course, lab: &str) -> Vec<(String, String, String, Vec<String>)> {
    crate::wanted::note_points(c)
        .into_iter()
        .filter(|p| p.0 == lab)
        .collect()
}

fn want_points(lab: &str) -> Vec<(String, String, String, Vec<String>)> {
    POINTS
        .iter()
        .filter(|p| p.0 == lab)
        .map(|(l, s, k, n)| {
            (
                l.to_string(),
                s.to_string(),
                k.to_string(),
                n.iter().map(|x| x.to_string()).collect(),
            )
        })
        .collect()
}

/// Where a value is asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Asked {
    /// Nowhere (given by the instructor, the student's own, a built-in …).
    Nowhere,
    /// The memo block of a lab.
    Memo(&'static str),
    /// A sentence or heading: lab, step.
    Prose(&'static str, &'static str),
}

/// One wanted value: names, key, where asked, used in (lab step), secret.
type Want = (
    &'static [&'static str],
    &'static str,
    Asked,
    &'static [(&'static str, &'static str)],
    bool,
);

/// Every value the sweep course needs, in reading order of first use.
const WANTED: &[Want] = &[
    // Given by the instructor: never asked.
    (
        &["gitopsconsole_ID"],
        "gitopsconsole_ID",
        Asked::Nowhere,
        &[("2-6", "1-1"), ("2-6", "2-2"), ("2-6", "3-2")],
        false,
    ),
    // The key in backquotes; used in the same step after the sentence, and later.
    (
        &["메모한 console_repo_url"],
        "console_repo_url",
        Asked::Prose("2-6", "2-2"),
        &[("2-6", "2-2"), ("2-6", "3-1")],
        false,
    ),
    // A heading-only note point, 워크스페이스 주소 = Workspace URL.
    (
        &["메모해 놓은 Workspace URL"],
        "Workspace URL",
        Asked::Prose("2-6", "1-2"),
        &[("2-6", "3-1")],
        false,
    ),
    (
        &["메모한 Run ID"],
        "Run ID",
        Asked::Prose("2-6", "3-2"),
        &[("2-6", "3-3")],
        false,
    ),
    (
        &["cluster_name"],
        "cluster_name",
        Asked::Memo("3-4"),
        &[("3-4", "1-1"), ("3-4", "2-1"), ("3-4", "3-1")],
        false,
    ),
    // The sentence naming the entry is no use of it.
    (
        &["node_role_arn"],
        "node_role_arn",
        Asked::Memo("3-4"),
        &[("3-4", "4-1")],
        false,
    ),
    // 서버 = server, 주소 = URL; 인증서 = certificate, 데이터 = data; a trailing space inside.
    (
        &["메모한 API Server URL"],
        "API Server URL",
        Asked::Prose("3-4", "2-1"),
        &[("3-4", "3-1")],
        false,
    ),
    (
        &["메모한 Certificate Data"],
        "Certificate Data",
        Asked::Prose("3-4", "2-1"),
        &[("3-4", "3-1")],
        false,
    ),
    (
        &["메모한 Deployer Token"],
        "Deployer Token",
        Asked::Prose("3-4", "2-2"),
        &[("3-4", "3-1")],
        true,
    ),
    // The generic "출력된 결과를 메모" takes the next value used.
    (
        &["스크립트로 만든 node roles"],
        "스크립트로 만든 node roles",
        Asked::Prose("3-4", "4-2"),
        &[("3-4", "5-1")],
        false,
    ),
    (
        &["메모한 Ingress Gateway hostname"],
        "Ingress Gateway hostname",
        Asked::Prose("3-5", "2-2"),
        &[("3-5", "2-3"), ("3-5", "3-1")],
        false,
    ),
    // Two languages, one value, never asked.
    (
        &["나의도메인", "YOUR_DOMAIN"],
        "나의도메인",
        Asked::Nowhere,
        &[("3-5", "3-1"), ("3-5", "3-2"), ("3-6", "3-1")],
        false,
    ),
    (
        &["메모한 키 파일 이름"],
        "키 파일 이름",
        Asked::Prose("3-6", "1-1"),
        &[("3-6", "1-1"), ("3-6", "2-1")],
        false,
    ),
    // Numbered pairs: one note point, two values each.
    (
        &["메모한 Allocation ID 1"],
        "Allocation ID 1",
        Asked::Prose("3-6", "1-2"),
        &[("3-6", "1-3")],
        false,
    ),
    (
        &["메모한 Allocation ID 2"],
        "Allocation ID 2",
        Asked::Prose("3-6", "1-2"),
        &[("3-6", "1-3")],
        false,
    ),
    (
        &["메모한 EIP 주소 1"],
        "EIP 주소 1",
        Asked::Prose("3-6", "1-2"),
        &[("3-6", "2-1"), ("3-6", "2-2")],
        false,
    ),
    (
        &["메모한 EIP 주소 2"],
        "EIP 주소 2",
        Asked::Prose("3-6", "1-2"),
        &[("3-6", "2-2")],
        false,
    ),
    (
        &["메모한 검증 CNAME"],
        "검증 CNAME",
        Asked::Prose("3-6", "3-1"),
        &[("3-6", "3-2")],
        false,
    ),
    (
        &["DNS name"],
        "DNS name",
        Asked::Nowhere,
        &[("3-6", "3-2")],
        false,
    ),
    // "요청한 인증서의 ARN" asks for the certificate's ARN, not any ARN: the load balancer's
    // and the target group's are never asked.
    (
        &["ALB ARN"],
        "ALB ARN",
        Asked::Nowhere,
        &[("3-6", "3-3")],
        false,
    ),
    // 발급받은 인증서 ARN = 메모한 Certificate ARN.
    (
        &["발급받은 인증서 ARN", "메모한 Certificate ARN"],
        "발급받은 인증서 ARN",
        Asked::Prose("3-6", "3-1"),
        &[("3-6", "3-3")],
        false,
    ),
    (
        &["Target Group ARN"],
        "Target Group ARN",
        Asked::Nowhere,
        &[("3-6", "3-3")],
        false,
    ),
];

fn want_json(w: &Want) -> Value {
    let (names, key, asked, used, secret) = w;
    let note_point = match asked {
        Asked::Nowhere => Value::Null,
        Asked::Memo(l) => json!({"lab": l, "memo": true}),
        Asked::Prose(l, s) => json!({"lab": l, "step": s}),
    };
    json!({
        "names": names,
        "key": key,
        "note_point": note_point,
        "used_in": used.iter().map(|(l, s)| json!({"lab": l, "step": s})).collect::<Vec<_>>(),
        "secret": secret,
    })
}

/// `wanted [LAB] --json` with only the fields the tables hold (a note point's text aside,
/// checked to say 메모 or to name its value).
fn wanted_of(c: &Course, lab: Option<&str>) -> Vec<Value> {
    let mut args = vec!["wanted", "--json"];
    args.extend(lab);
    array(&c.ok(&args))
        .into_iter()
        .map(|mut w| {
            if let Some(np) = w["note_point"].as_object_mut() {
                if let Some(t) = np.remove("text") {
                    assert!(t.as_str().unwrap().contains("메모"), "{t}");
                }
            }
            json!({
                "names": w["names"],
                "key": w["key"],
                "note_point": w["note_point"],
                "used_in": w["used_in"],
                "secret": w["secret"],
            })
        })
        .collect()
}

/// Whether a wanted value concerns a lab (asked or used there), as `wanted LAB` selects.
fn concerns(w: &Want, lab: &str) -> bool {
    let asked = match w.2 {
        Asked::Nowhere => false,
        Asked::Memo(l) | Asked::Prose(l, _) => l == lab,
    };
    asked || w.3.iter().any(|(l, _)| *l == lab)
}

/// Note points and wanted values of one lab, exactly; prints the figures.
fn check_lab(lab: &str) {
    let c = sweep_course();
    let got = points_of(&c, lab);
    let want = want_points(lab);
    let found = want.iter().filter(|p| got.contains(p)).count();
    let invented = got.iter().filter(|p| !want.contains(p)).count();
    eprintln!(
        "sweep {lab}: note points {found} of {} found, {invented} wrong or invented",
        want.len()
    );
    let values = wanted_of(&c, Some(lab));
    let want_v: Vec<Value> = WANTED
        .iter()
        .filter(|w| concerns(w, lab))
        .map(want_json)
        .collect();
    let right = want_v.iter().filter(|w| values.contains(w)).count();
    eprintln!(
        "sweep {lab}: wanted {right} of {} right, {} listed",
        want_v.len(),
        values.len()
    );
    assert_eq!(got, want, "note points of {lab}");
    assert_eq!(
        values,
        want_v,
        "wanted {lab}:\n{}",
        serde_json::to_string_pretty(&values).unwrap()
    );
}

#[test]
fn lab_2_6_note_points_and_wanted_values() {
    check_lab("2-6");
}

#[test]
fn lab_3_4_note_points_and_wanted_values() {
    check_lab("3-4");
}

#[test]
fn lab_3_5_note_points_and_wanted_values() {
    check_lab("3-5");
}

#[test]
fn lab_3_6_note_points_and_wanted_values() {
    check_lab("3-6");
}

/// Every (lab, placeholder, resolved) of the course, from `placeholders --json`.
fn placeholder_table(c: &Course) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for lab in LABS {
        for p in array(&c.ok(&["placeholders", lab, "--json"])) {
            out.push((
                lab.to_string(),
                p["name"].as_str().unwrap().to_string(),
                p["resolved"].as_bool().unwrap(),
            ));
        }
    }
    out
}

/// A value for a key (several lines for the script's output).
fn sample(key: &str) -> String {
    if key.contains("roles") {
        return "- rolearn: arn:aws:iam::111122223333:role/eks-node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes".into();
    }
    let tag: String = key.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    format!("v-{tag}-{}", key.chars().count())
}

#[test]
fn noting_each_wanted_value_once_by_its_first_name_resolves_every_placeholder() {
    let c = sweep_course();
    let before = placeholder_table(&c);
    let resolved = |t: &[(String, String, bool)]| t.iter().filter(|p| p.2).count();
    // Only the built-in date resolves before anything is noted.
    assert_eq!(resolved(&before), 1, "{before:?}");
    let mut noted = Vec::new();
    for w in array(&c.ok(&["wanted", "--json"])) {
        let name = w["names"][0].as_str().unwrap().to_string();
        let lab = match w["note_point"]["lab"].as_str() {
            Some(l) => l.to_string(),
            None => w["used_in"][0]["lab"].as_str().unwrap().to_string(),
        };
        let value = sample(w["key"].as_str().unwrap());
        let r = c.run_stdin(
            &["memo", "set", &lab, &name, "-"],
            format!("{value}\n").as_bytes(),
        );
        assert_eq!(r.code, 0, "memo set {lab} {name}: {}", r.text());
        noted.push((w["key"].as_str().unwrap().to_string(), value));
    }
    let after = placeholder_table(&c);
    eprintln!(
        "sweep: {} of {} placeholders resolve before, {} after noting {} values",
        resolved(&before),
        before.len(),
        resolved(&after),
        noted.len()
    );
    let open: Vec<_> = after.iter().filter(|p| !p.2).collect();
    assert!(open.is_empty(), "{open:?}");
    assert!(array(&c.ok(&["wanted", "--json"])).is_empty());
    // Either name of the certificate ARN fills the listener step; the roles come back whole.
    let arn = &noted
        .iter()
        .find(|(k, _)| k.contains("인증서 ARN"))
        .unwrap()
        .1;
    let shown = c.ok(&["show", "3-6", "--step", "3-3", "--fill"]).stdout;
    assert_eq!(shown.matches(arn.as_str()).count(), 2, "{shown}");
    let roles = &noted.iter().find(|(k, _)| k.contains("roles")).unwrap().1;
    assert_eq!(
        c.ok(&["memo", "get", "<<스크립트로 만든 node roles>>"])
            .stdout,
        format!("{roles}\n")
    );
    // The token is secret: not in the lab in plaintext.
    let token = &noted.iter().find(|(k, _)| k == "Deployer Token").unwrap().1;
    let lab = c.lab_text("day3/lab4-eks.md");
    assert!(!lab.contains(token.as_str()), "{lab}");
    // The CRLF labs stayed CRLF.
    for f in ["day3/lab4-eks.md", "day3/lab6-bastion-cert.md"] {
        let t = c.lab_text(f);
        assert_eq!(t.matches('\n').count(), t.matches("\r\n").count(), "{f}");
    }
}
