//! The links of a course as one table (issue 20): every note point → the value(s) it is
//! linked to, and every placeholder → the value it means, for the bundled labs and our
//! fixture courses. A change in linking shows here as a diff of the table; the expected
//! tables are written out below, row by row.
//!
//! Also the two cases of issue 20 our labs reproduce (tests/fixtures/links): a note point
//! about a repository's URL is not linked to the cluster's URL, and the loose "server url"
//! of a note point and the "Cluster URL" of its later use are one value.

use std::path::Path;

use labnote::wanted::{NoteRef, Wanted};

use crate::course::{copy_dir, fixture_path, Course};

fn open(dir: &Path) -> (labnote::course::Course, labnote::config::CourseConfig) {
    (
        labnote::course::Course::open(dir).unwrap(),
        labnote::config::CourseConfig::load(dir).unwrap(),
    )
}

/// Whether value `w` is linked to note point `np` of lab `li`.
fn linked(w: &Wanted, key_of: &str, li: usize, np: &labnote::notepoint::NotePoint) -> bool {
    let is = |r: &Option<NoteRef>| match r {
        Some(NoteRef::Prose { at, text }) => at.lab == li && at.step == np.step && *text == np.text,
        Some(NoteRef::Memo { lab }) => {
            *lab == li
                && np.kind == labnote::notepoint::PointKind::Memo
                && labnote::names::normalize_key(key_of) == labnote::names::normalize_key(&np.text)
        }
        None => false,
    };
    is(&w.note_point) || is(&w.asked)
}

/// The link table of the course in `dir`: a line per note point (`point LAB STEP KIND
/// "names" → keys`) and per distinct placeholder of each lab (`<<name>> LAB → key`).
pub fn link_table(dir: &Path) -> String {
    let (course, cfg) = open(dir);
    let values = labnote::wanted::values(&course, &cfg);
    let mut out = String::new();
    for (li, cl) in course.labs.iter().enumerate() {
        let lab = &cl.lab;
        for np in lab.note_points.iter() {
            let step = np.step.map_or("-".to_string(), |s| lab.steps[s].id.clone());
            let to: Vec<&str> = values
                .iter()
                .filter(|w| linked(w, &w.key, li, np))
                .map(|w| w.key.as_str())
                .collect();
            let kind = format!("{:?}", np.kind).to_lowercase();
            let to = if to.is_empty() {
                "(nothing)".to_string()
            } else {
                to.join(" | ")
            };
            out.push_str(&format!(
                "point {} {step} {kind} \"{}\" → {to}\n",
                lab.id,
                np.names.join(", ")
            ));
        }
        let mut seen: Vec<&str> = Vec::new();
        for p in &lab.placeholders {
            let name = p.name.trim();
            if p.context == labnote::lab::PlaceholderContext::Memo || seen.contains(&name) {
                continue;
            }
            seen.push(name);
            let to = values
                .iter()
                .find(|w| w.names.iter().any(|n| n == name))
                .map_or("(built-in)", |w| w.key.as_str());
            out.push_str(&format!("<<{name}>> {} → {to}\n", lab.id));
        }
    }
    out
}

/// A course folder of fixture `rel` (a folder of tests/fixtures).
fn fixture_course(rel: &str) -> Course {
    let c = Course::empty();
    copy_dir(&fixture_path(rel), &c.course);
    c
}

#[track_caller]
fn check(c: &Course, want: &str) {
    let got = link_table(&c.course);
    if got != want {
        panic!("link table changed:\n--- want\n{want}\n--- got\n{got}");
    }
}

/// Prints the link table of the course folder in `$LINKS_COURSE` (a manual check: the
/// reference labs of the course are not part of the repository).
#[test]
#[ignore]
fn print_link_table_of_a_course_folder() {
    let dir = std::env::var("LINKS_COURSE").expect("LINKS_COURSE=a course folder");
    print!("{}", link_table(Path::new(&dir)));
}

#[test]
fn print_tables() {
    if std::env::var("LINKS_PRINT").is_err() {
        return;
    }
    let bundled = Course::empty().with_bundled_labs();
    println!("[bundled]\n{}", link_table(&bundled.course));
    for f in ["notes", "sweep", "walknote", "links"] {
        println!("[{f}]\n{}", link_table(&fixture_course(f).course));
    }
}

/// The value whose key is `key`.
fn value<'a>(values: &'a [Wanted], key: &str) -> &'a Wanted {
    values
        .iter()
        .find(|w| w.key == key)
        .unwrap_or_else(|| panic!("no value {key}: {values:#?}"))
}

/// The (lab id, step id) a value is asked at.
fn asked_at(course: &labnote::course::Course, w: &Wanted) -> Option<(String, String)> {
    match &w.asked {
        Some(NoteRef::Prose { at, .. }) => {
            let lab = &course.labs[at.lab].lab;
            Some((
                lab.id.clone(),
                at.step.map(|s| lab.steps[s].id.clone()).unwrap_or_default(),
            ))
        }
        _ => None,
    }
}

fn pair(l: &str, s: &str) -> Option<(String, String)> {
    Some((l.to_string(), s.to_string()))
}

/// Issue 20, case 1: "생성된 Repository의 URL을 메모📝합니다." asks for the repository's URL
/// (the later `<<자신의 git repository 주소>>`), never for the cluster's URL a later form
/// reads; the cluster's URL is asked where the step about the cluster asks ("server url").
#[test]
fn a_repository_url_is_not_the_cluster_url() {
    let c = fixture_course("links");
    let (course, cfg) = open(&c.course);
    let values = labnote::wanted::values(&course, &cfg);
    let repo = value(&values, "자신의 git repository 주소");
    assert_eq!(asked_at(&course, repo), pair("4-1", "1-2"), "{repo:#?}");
    let cluster = value(&values, "Cluster URL");
    assert_eq!(
        asked_at(&course, cluster),
        pair("4-1", "2-1"),
        "{cluster:#?}"
    );
    // `wanted` says so too: the repository URL is asked, at its step.
    let out = c.ok(&["wanted", "--json"]).stdout;
    let v: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let repo = v
        .iter()
        .find(|w| w["key"] == "자신의 git repository 주소")
        .unwrap();
    assert_eq!(repo["note_point"]["step"], "1-2", "{repo:#}");
    // The repository step's announce names the repository's value, not the cluster's.
    let k = course.resolve("4-1").unwrap();
    let at = labnote::app::StepAt {
        lab: k,
        step: course.labs[k].lab.step_index("1-2").unwrap(),
    };
    let a = labnote::app::notes::announce(&course, &cfg, at).expect("the step asks");
    let names: Vec<&str> = a.names.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["자신의 git repository 주소"]);
}

/// Issue 20, case 2: "server url과 certificate-authority-data를 메모" and the later
/// `<<메모한 Cluster URL>>`, `<<메모한 Certificate Authority Data >>` are two values, not
/// three: the step offers two, and a value given as "server url" is the Cluster URL.
#[test]
fn server_url_at_the_note_point_is_the_cluster_url_of_its_use() {
    let c = fixture_course("links");
    c.init();
    let (course, cfg) = open(&c.course);
    let k = course.resolve("4-1").unwrap();
    let at = labnote::app::StepAt {
        lab: k,
        step: course.labs[k].lab.step_index("2-1").unwrap(),
    };
    let asks = labnote::app::notes::asked(&course, &cfg, at);
    let keys: Vec<&str> = asks.values.iter().map(|a| a.key.as_str()).collect();
    assert_eq!(keys, ["Cluster URL", "Certificate Authority Data"]);
    let menu = labnote::app::notes::menu(&course, &cfg, &[], at);
    let here: Vec<&str> = menu
        .offers
        .iter()
        .filter(|o| o.tier == labnote::app::notes::Tier::Step)
        .map(|o| o.key.as_str())
        .collect();
    assert_eq!(here, ["Cluster URL", "Certificate Authority Data"]);
    assert_eq!(
        labnote::wanted::key_for(&course, &cfg, "server url"),
        "Cluster URL"
    );
    // Noted by the lab's own word, it is the one value: the later form reads it, nothing
    // is left wanted under "server url".
    c.ok(&[
        "memo",
        "set",
        "4-1",
        "server url",
        "https://ABCD.eks.example",
    ]);
    assert_eq!(
        c.ok(&["memo", "get", "<<메모한 Cluster URL>>"]).stdout,
        "https://ABCD.eks.example\n"
    );
    let v: Vec<serde_json::Value> =
        serde_json::from_str(&c.ok(&["wanted", "--json"]).stdout).unwrap();
    assert!(
        v.iter()
            .all(|w| w["key"] != "server url" && w["key"] != "Cluster URL"),
        "{v:#?}"
    );
}

/// Issue 20, case 3: the run of the `kubectl apply`-like step does not offer the token the
/// next step asks for (that step has its own command); the run of that step does, with the
/// token first and no Kubernetes object name among the candidates.
#[test]
fn the_token_is_offered_at_the_step_that_asks_and_ranked_first() {
    let c = fixture_course("links");
    let (course, cfg) = open(&c.course);
    let k = course.resolve("4-3").unwrap();
    let step = |id: &str| labnote::app::StepAt {
        lab: k,
        step: course.labs[k].lab.step_index(id).unwrap(),
    };
    let apply = labnote::app::notes::asked(&course, &cfg, step("1-1"));
    assert!(apply.values.is_empty(), "{apply:#?}");
    let asks = labnote::app::notes::asked(&course, &cfg, step("1-2"));
    let keys: Vec<&str> = asks.values.iter().map(|a| a.key.as_str()).collect();
    assert_eq!(keys, ["Deploy SA token"]);
    assert!(asks.values[0].secret);
    // The two outputs as the runs print them.
    let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkZXBsb3ktc2EifQ.c2lnbmF0dXJlLXRlc3Q";
    let out: Vec<zeroize::Zeroizing<String>> = [
        "serviceaccount/deploy-sa created",
        "clusterrolebinding.rbac.authorization.k8s.io/deploy-admin created",
        "secret/deploy-sa-token created",
        "Name:         deploy-sa-token",
        "Namespace:    kube-system",
        "ca.crt:       1107 bytes",
        &format!("token:      {jwt}"),
    ]
    .iter()
    .map(|l| zeroize::Zeroizing::new(l.to_string()))
    .collect();
    let choices = labnote::app::notes::OutputValues::of(&out).for_key("Deploy SA token");
    assert_eq!(choices.ranked[0].value, jwt, "{:?}", choices.ranked);
    assert!(
        choices
            .ranked
            .iter()
            .all(|c| !c.value.contains("k8s.io") && !c.value.contains("deploy-sa created")),
        "{:?}",
        choices.ranked
    );
}

/// Issue 20, case 4: a name the course does not use ("Identifier와 ARN", "EIP allocation
/// id", "Allocation ID" where the course has `Allocation ID 1` and `2`) is no silent new
/// key: without a terminal, `memo set` refuses it with the close values (exit 1, nothing
/// written); `--new` notes it; a name of the course is noted as before.
#[test]
fn memo_set_refuses_a_name_the_course_does_not_use() {
    let c = fixture_course("notes");
    c.init();
    let before = c.lab_bytes("day3/lab3-domain.md");
    for (name, close) in [
        ("Identifier와 ARN", vec!["Identifier", "인증서의 ARN"]),
        (
            "EIP allocation id",
            vec!["Allocation ID 1", "Allocation ID 2"],
        ),
        ("Allocation ID", vec!["Allocation ID 1", "Allocation ID 2"]),
    ] {
        let r = c.run(&["memo", "set", "3-3", name, "v-1"]);
        assert_eq!(r.code, 1, "{name}: {}", r.text());
        for k in close {
            assert!(r.stderr.contains(&format!("'{k}'")), "{name}: {}", r.text());
        }
        assert!(r.stderr.contains("--new"), "{}", r.text());
        assert_eq!(c.lab_bytes("day3/lab3-domain.md"), before, "{name}");
    }
    // `--new` notes it under the name given.
    c.ok(&["memo", "set", "3-3", "Identifier와 ARN", "v-2", "--new"]);
    assert!(c
        .lab_text("day3/lab3-domain.md")
        .contains("<< Identifier와 ARN>>_ : v-2"));
    // A name the course uses (any written form) is noted without a question.
    c.ok(&[
        "memo",
        "set",
        "3-3",
        "<<메모한 Allocation ID 2>>",
        "eipalloc-2",
    ]);
    assert_eq!(
        c.ok(&["memo", "get", "Allocation ID 2"]).stdout,
        "eipalloc-2\n"
    );
    // A name close to nothing of the course is refused too (issue 20: no silent new key),
    // saying that nothing is close; `--new` notes it.
    let before = c.lab_bytes("day3/lab3-domain.md");
    let r = c.run(&["memo", "set", "3-3", "region", "ap-northeast-2"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(r.stderr.contains("--new"), "{}", r.text());
    assert!(!r.stderr.contains("close to it"), "{}", r.text());
    assert_eq!(c.lab_bytes("day3/lab3-domain.md"), before);
    c.ok(&["memo", "set", "3-3", "region", "ap-northeast-2", "--new"]);
    assert_eq!(c.ok(&["memo", "get", "region"]).stdout, "ap-northeast-2\n");
}

// The expected link tables (issue 20): a row per note point and per distinct placeholder
// of each lab. A row that changes is a change in linking: say why in the commit.
const BUNDLED_LINKS: &str = "\
point 2-3 - memo \"github_username\" → github_username
point 2-3 - memo \"github_token\" → github_token
point 2-3 1-3 sentence \"github_username\" → github_username
point 2-3 1-5 sentence \"github_token\" → github_token
<<github_username>> 2-3 → github_username
<<github_token>> 2-3 → github_token
point 2-4 - memo \"AWS Access Key ID\" → AWS Access Key ID
point 2-4 - memo \"AWS Secret Access key\" → AWS Secret Access key
point 2-4 1 sentence \"AWS Access Key ID, AWS Secret Access key\" → AWS Access Key ID | AWS Secret Access key
point 2-4 5 sentence \"AWS Access Key ID\" → (nothing)
point 2-4 5 sentence \"AWS Secret Access key\" → (nothing)
<<AWS Access Key ID>> 2-4 → AWS Access Key ID
<<AWS Secret Access key>> 2-4 → AWS Secret Access key
<<발급받은 Access Key>> 2-5 → AWS Access Key ID
<<발급받은 AWS Secret Access key>> 2-5 → AWS Secret Access key
<<gitopsconsole_ID>> 2-5 → gitopsconsole_ID
<<YYMMDD>> 2-5 → (built-in)
<<자신의 git repository 주소>> 2-5 → 자신의 git repository 주소
<<자신의 git name>> 2-5 → github_username
<<발급 받은 git token>> 2-5 → github_token
point 3-1 1-1 sentence \"lab_prefix\" → lab_prefix
point 3-1 1-2 sentence \"Public IP, Private IP\" → Public IP | Private IP
point 3-1 1-3 heading \"SSH Key 이름\" → 생성된 SSH Key 이름
point 3-1 3-1 sentence \"\" → SSH 접속 설정
point 3-1 5-1 sentence \"토큰\" → 에이전트 token
<<메모한 lab_prefix>> 3-1 → lab_prefix
<<메모한 Public IP>> 3-1 → Public IP
<<메모한 Private IP>> 3-1 → Private IP
<<생성된 SSH Key 이름>> 3-1 → 생성된 SSH Key 이름
<<메모한 SSH 접속 설정>> 3-1 → SSH 접속 설정
<<메모한 에이전트 token>> 3-1 → 에이전트 token
";
const NOTES_LINKS: &str = "\
point 3-1 1-4 sentence \"gitops_pipeline_3tier URL\" → gitops_pipeline_3tier URL
point 3-1 2-1 sentence \"public ip\" → 생성된 IP
point 3-1 2-2 heading \"Bastion 아이피\" → Bastion IP
<<gitopsconsole_ID>> 3-1 → gitopsconsole_ID
<<생성된 IP>> 3-1 → 생성된 IP
<<메모해 놓은 gitops_pipeline_3tier URL>> 3-1 → gitops_pipeline_3tier URL
<<Bastion IP>> 3-1 → Bastion IP
point 3-2 4-1 sentence \"server url, certificate-authority-data\" → Cluster URL | Certificate Authority Data
point 3-2 4-2 sentence \"토큰\" → Service Account token
point 3-2 9-3 sentence \"\" → 스크립트로 생성한 aws_auth_roles
<<메모한 Cluster URL>> 3-2 → Cluster URL
<<메모한 Certificate Authority Data>> 3-2 → Certificate Authority Data
<<메모한 Service Account token>> 3-2 → Service Account token
<<gitopsconsole_ID>> 3-2 → gitopsconsole_ID
<<스크립트로 생성한 aws_auth_roles>> 3-2 → 스크립트로 생성한 aws_auth_roles
point 3-3 1-2 sentence \"Identifier, ARN\" → Identifier | 인증서의 ARN
point 3-3 2-1 sentence \"IP, Allocation ID\" → Allocation ID 1 | Allocation ID 2
point 3-3 2-2 sentence \"Console ID, Console Password\" → Console Password | Console ID
<<나의도메인>> 3-3 → 나의도메인
<<메모한 인증서의 ARN>> 3-3 → 인증서의 ARN
<<YOUR_DOMAIN>> 3-3 → 나의도메인
<<메모한 Allocation ID 1>> 3-3 → Allocation ID 1
<<메모한 Allocation ID 2>> 3-3 → Allocation ID 2
<<DNS name>> 3-3 → DNS name
<<메모한 Console ID>> 3-3 → Console ID
";
const SWEEP_LINKS: &str = "\
point 2-6 1-2 heading \"워크스페이스 주소\" → Workspace URL
point 2-6 2-2 sentence \"console_repo_url\" → console_repo_url
point 2-6 3-2 sentence \"Run ID\" → Run ID
<<gitopsconsole_ID>> 2-6 → gitopsconsole_ID
<<메모한 console_repo_url>> 2-6 → console_repo_url
<<메모해 놓은 Workspace URL>> 2-6 → Workspace URL
<<YYMMDD>> 2-6 → (built-in)
<<메모한 Run ID>> 2-6 → Run ID
point 3-4 - memo \"cluster_name\" → cluster_name
point 3-4 - memo \"node_role_arn\" → node_role_arn
point 3-4 1-2 sentence \"node_role_arn\" → node_role_arn
point 3-4 2-1 sentence \"API 서버 주소, 인증서 데이터\" → API Server URL | Certificate Data
point 3-4 2-2 sentence \"토큰\" → Deployer Token
point 3-4 4-2 sentence \"\" → 스크립트로 만든 node roles
<<cluster_name>> 3-4 → cluster_name
<<node_role_arn>> 3-4 → node_role_arn
<<메모한 API Server URL>> 3-4 → API Server URL
<<메모한 Certificate Data>> 3-4 → Certificate Data
<<메모한 Deployer Token>> 3-4 → Deployer Token
<<스크립트로 만든 node roles>> 3-4 → 스크립트로 만든 node roles
point 3-5 2-2 sentence \"hostname\" → Ingress Gateway hostname
<<메모한 Ingress Gateway hostname>> 3-5 → Ingress Gateway hostname
<<나의도메인>> 3-5 → 나의도메인
<<YOUR_DOMAIN>> 3-5 → 나의도메인
point 3-6 1-1 sentence \"파일 이름\" → 키 파일 이름
point 3-6 1-2 sentence \"EIP 주소, Allocation ID\" → Allocation ID 1 | Allocation ID 2 | EIP 주소 1 | EIP 주소 2
point 3-6 3-1 sentence \"ARN, 검증 CNAME\" → 검증 CNAME | 발급받은 인증서 ARN
<<메모한 키 파일 이름>> 3-6 → 키 파일 이름
<<메모한 Allocation ID 1>> 3-6 → Allocation ID 1
<<메모한 Allocation ID 2>> 3-6 → Allocation ID 2
<<메모한 EIP 주소 1>> 3-6 → EIP 주소 1
<<메모한 EIP 주소 2>> 3-6 → EIP 주소 2
<<나의도메인>> 3-6 → 나의도메인
<<YOUR_DOMAIN>> 3-6 → 나의도메인
<<메모한 검증 CNAME>> 3-6 → 검증 CNAME
<<DNS name>> 3-6 → DNS name
<<ALB ARN>> 3-6 → ALB ARN
<<발급받은 인증서 ARN>> 3-6 → 발급받은 인증서 ARN
<<Target Group ARN>> 3-6 → Target Group ARN
<<메모한 Certificate ARN>> 3-6 → 발급받은 인증서 ARN
";
const WALKNOTE_LINKS: &str = "\
point 7-1 1-2 sentence \"API 서버 URL\" → API 서버 URL
point 7-1 2-1 sentence \"토큰\" → 배포 token
point 7-2 - memo \"pipeline_name\" → pipeline_name
<<메모한 API 서버 URL>> 7-2 → API 서버 URL
<<메모한 배포 token>> 7-2 → 배포 token
<<pipeline_name>> 7-2 → pipeline_name
";
const LINKS_LINKS: &str = "\
point 4-1 1-2 sentence \"URL\" → 자신의 git repository 주소
point 4-1 2-1 sentence \"server url, certificate-authority-data\" → Cluster URL | Certificate Authority Data
<<gitopsconsole_ID>> 4-1 → gitopsconsole_ID
<<자신의 git repository 주소>> 4-2 → 자신의 git repository 주소
<<gitopsconsole_ID>> 4-2 → gitopsconsole_ID
<<메모한 Cluster URL>> 4-2 → Cluster URL
<<메모한 Certificate Authority Data>> 4-2 → Certificate Authority Data
point 4-3 1-2 sentence \"토큰\" → Deploy SA token
<<메모한 Deploy SA token>> 4-3 → Deploy SA token
";

#[test]
fn the_link_table_of_the_bundled_labs() {
    check(&Course::empty().with_bundled_labs(), BUNDLED_LINKS);
}

#[test]
fn the_link_tables_of_the_fixture_courses() {
    for (f, want) in [
        ("notes", NOTES_LINKS),
        ("sweep", SWEEP_LINKS),
        ("walknote", WALKNOTE_LINKS),
        ("links", LINKS_LINKS),
    ] {
        eprintln!("[{f}]");
        check(&fixture_course(f), want);
    }
}

/// Issue 20, case 4: `memo rm` removes an entry labnote added (then it is no value still
/// wanted), and refuses the lab's own memo line, leaving the file as it is.
#[test]
fn memo_rm_removes_what_labnote_added_and_never_the_labs_own_entry() {
    let c = fixture_course("walknote");
    c.init();
    let lab = "day7/lab2-pipeline.md";
    let own = c.lab_bytes(lab);
    let r = c.run(&["memo", "rm", "7-2", "pipeline_name"]);
    assert_eq!(r.code, 1, "{}", r.text());
    assert!(r.stderr.contains("memo unset"), "{}", r.text());
    assert_eq!(c.lab_bytes(lab), own);
    c.ok(&["memo", "set", "7-2", "빌드 번호 메모장", "42", "--new"]);
    assert!(c.lab_text(lab).contains("<< 빌드 번호 메모장>>"));
    // Emptied, it would still be an entry; removed, it is gone and not wanted.
    c.ok(&["memo", "unset", "7-2", "빌드 번호 메모장"]);
    c.ok(&["memo", "rm", "7-2", "빌드 번호 메모장"]);
    // The lab as it was, but for the hard break the new line put on the entry before it.
    let own = String::from_utf8(own).unwrap();
    let now = c.lab_text(lab).replace(
        "**<< pipeline_name>>** :  \r\n",
        "**<< pipeline_name>>** :\r\n",
    );
    assert_eq!(now, own);
    let v: Vec<serde_json::Value> =
        serde_json::from_str(&c.ok(&["wanted", "--json"]).stdout).unwrap();
    assert!(v.iter().all(|w| w["key"] != "빌드 번호 메모장"), "{v:#?}");
}
